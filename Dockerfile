# syntax=docker/dockerfile:1
# One image per service: docker build --build-arg SERVICE=order -t <registry>/order:<tag> .

# Only the npm manifests, so the install layers stay cached until a dependency changes.
FROM node:24-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
 && find . -type d -empty -delete

FROM node:24-slim AS build
ARG SERVICE
WORKDIR /app
COPY --from=manifests /app ./
# The root's development dependencies are included: esbuild bundles.
RUN npm ci --ignore-scripts --no-audit --no-fund --workspace services/${SERVICE} --include-workspace-root
COPY tsconfig.base.json tsconfig.json ./
COPY libs libs
COPY services services
COPY tools/bundle.mjs tools/bundle.mjs
# One ES module bundle of the service and its libraries, with node_modules/ holding only the
# packages it leaves external (express, import-in-the-middle, the Google clients): a start loads
# a few files instead of thousands (docs/benchmarks.md, cold start).
RUN node tools/bundle.mjs ${SERVICE}

FROM node:24-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/services/${SERVICE}/bundle ./
USER node
# Node itself is PID 1, so Cloud Run's SIGTERM reaches the service, which drains and exits.
# The telemetry preload comes first, so that its instrumentations see http and express load.
CMD ["node", "--import", "./register.mjs", "main.mjs"]
