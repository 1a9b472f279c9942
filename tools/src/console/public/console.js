// The page's only script: htmx does the rest. It asks for confirmations in the page's own
// dialog and draws the segment chart from the segment table the server streams.

document.addEventListener('htmx:confirm', (event) => {
  event.preventDefault();
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = event.detail.ctx.confirm;
  dialog.addEventListener(
    'close',
    () =>
      dialog.returnValue === 'confirm' ? event.detail.issueRequest() : event.detail.dropRequest(),
    { once: true },
  );
  dialog.returnValue = '';
  dialog.showModal();
});

document.addEventListener('DOMContentLoaded', () => {
  const table = document.getElementById('segments');
  const canvas = document.getElementById('segment-chart');
  if (!table || !canvas) return;
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'customers', data: [], backgroundColor: '#4f6bed' }] },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  const draw = () => {
    const rows = [...table.querySelectorAll('[data-segment]')];
    chart.data.labels = rows.map((r) => r.dataset.segment);
    chart.data.datasets[0].data = rows.map((r) => Number(r.dataset.count));
    chart.update();
  };
  new MutationObserver(draw).observe(table, { childList: true, subtree: true, attributes: true });
});
