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
COPY tools/bundle.mjs tools/bundle-plugins.mjs tools/
# One ES module bundle of the service and its libraries, with node_modules/ holding only the
# packages it leaves external (the Google clients and undici; tools/bundle.mjs says why): a start loads
# a few files instead of thousands (docs/benchmarks.md, cold start).
RUN node tools/bundle.mjs ${SERVICE}

FROM node:24-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/services/${SERVICE}/bundle ./
# Node's compile cache: V8's compiled code of every module a start loads, and of the Google
# clients and iconv-lite's tables a first request loads, made here once instead of in every new
# instance. Node keys it by the user's id, so user node fills it; it stays read-only. The start
# stops at its configuration, absent here, once its modules are loaded.
ENV NODE_COMPILE_CACHE=/app/.compile-cache
RUN mkdir .compile-cache && chown node .compile-cache
USER node
RUN (OTEL_SERVICE_NAME=compile-cache node --min-semi-space-size=16 --import ./register.mjs main.mjs 2>/dev/null || true) \
 && node -e "require('@google-cloud/firestore'); require('@google-cloud/pubsub'); require('iconv-lite').getDecoder('utf-8')"
USER root
RUN chown -R root:root .compile-cache && chmod -R a+rX,a-w .compile-cache
USER node
# Node itself is PID 1, so Cloud Run's SIGTERM reaches the service, which drains and exits.
# The telemetry preload comes first: it instruments http and express before the service builds its app.
CMD ["node", "--min-semi-space-size=16", "--import", "./register.mjs", "main.mjs"]
