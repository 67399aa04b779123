# Build: compile TypeScript and the better-sqlite3 native module (no prebuilt binaries are downloaded).
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY machines machines
COPY services services
COPY storage storage
COPY server server
RUN npm run build && npm prune --omit=dev

# Run: only the compiled code and production dependencies, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY bin bin
RUN mkdir -p /var/lib/kube-ingress-aws-controller && chown node:node /var/lib/kube-ingress-aws-controller
USER node
# Lifecycle state (SQLite). Mount a volume here to keep it across pod restarts.
VOLUME ["/var/lib/kube-ingress-aws-controller"]
EXPOSE 7979
ENTRYPOINT ["node", "/app/dist/main.js"]
