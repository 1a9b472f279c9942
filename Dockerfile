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
RUN npm ci --ignore-scripts --no-audit --no-fund --workspace services/${SERVICE} --include-workspace-root
COPY tsconfig.base.json tsconfig.json ./
COPY libs libs
COPY services services
RUN node node_modules/typescript/bin/tsc -b services/${SERVICE} \
 && find libs services -name src -type d -prune -exec rm -rf {} + \
 && find libs services -name '*.tsbuildinfo' -delete

FROM node:24-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=manifests /app ./
# Production dependencies of this service and the libraries it uses, nothing else.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace services/${SERVICE} \
 && npm cache clean --force
COPY --from=build /app/libs libs
COPY --from=build /app/services/${SERVICE} services/${SERVICE}
USER node
WORKDIR /app/services/${SERVICE}
# Node itself is PID 1, so Cloud Run's SIGTERM reaches the service, which drains and exits.
# The telemetry preload comes first, so that its instrumentations see http and express load.
CMD ["node", "--import", "@orderflow/telemetry/register", "dist/main.js"]
