// The browser tests' Chromium is the one the console's screenshots use.
export {
  openChromium as openBrowser,
  type Chromium as TestBrowser,
} from '@orderflow/tools/shared/chromium';
