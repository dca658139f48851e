# syntax=docker/dockerfile:1
# One image for the three apps and the CLI; the compose file picks the entry point per service.
# Node 22 (LTS): the apps still run on Node 20.19+, which package.json's engines allows.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts/copy-ui-assets.js ./scripts/
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001 3002
# Ready = the app's own /health/ready (database and Kafka reachable), on whichever port the service sets.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.GATEWAY_PORT||process.env.PROJECTOR_PORT||process.env.DISPATCHER_PORT||3000;fetch('http://127.0.0.1:'+p+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Override per service: dist/apps/<gateway|projector|webhook-dispatcher|cli>/src/main.js. The heap flags are
# the apps' memory defaults (scripts/app-node-flags.json): peak RSS stays under 256 MiB in every benchmark.
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=8", "dist/apps/gateway/src/main.js"]
