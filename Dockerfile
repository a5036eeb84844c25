# syntax=docker/dockerfile:1
# C10k server image. Multi-stage: restore (cached on project files only), publish, then a small runtime stage.
#
#   docker build -t c10k .                      # official bases, default mode (see PUBLISH_MODE)
#   podman build --format docker -t c10k .      # podman: --format docker keeps HEALTHCHECK (OCI format drops it)
#
# A site without registry access builds from its own bases (docker/build-local-bases.sh makes them here):
#   --build-arg SDK_IMAGE=localhost/dotnet/sdk:10.0 --build-arg RUNTIME_IMAGE=localhost/dotnet/aspnet:10.0
#
# PUBLISH_MODE (measured in docs/deploy.md):
#   r2r  framework-dependent + ReadyToRun (default: fastest start, same runtime base)
#   fdd  framework-dependent, IL only (smallest app layer)
#   sc   self-contained (RUNTIME_IMAGE must then be a runtime-deps base)
#   sc-trim  self-contained + trimmed (RUNTIME_IMAGE a runtime-deps base)
# Run read-only, with the users (and the admin token) from an env file kept out of the image and out of `docker inspect`'s
# command line (docker/dev-secrets.sh writes one: C10k__Auth__Users__default=<password>, C10k__Admin__Token=<token>):
#   docker run --read-only --tmpfs /tmp --env-file docker/c10k.env -p 7000:7000 -p 6380:6380 c10k
# With no users, protected mode serves only clients on the container's own loopback, i.e. none from outside; to serve everyone
# without authentication, deliberately: -e C10k__ProtectedMode=false (docs/security.md). The admin port listens on the
# container's loopback unless C10k__Admin__BindAddress=0.0.0.0 (then set C10k__Admin__Token too); the HEALTHCHECK reaches it either way.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

# Project files only: this stage changes with every source edit, but its output does not, so the restore layer
# below stays cached until a project or package version changes.
FROM ${SDK_IMAGE} AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! \( -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.sln' \
        -o -iname 'nuget.config' -o -name 'global.json' \) -delete \
    && find . -type d -empty -delete

FROM ${SDK_IMAGE} AS build
ARG PUBLISH_MODE=r2r
ARG RID=linux-x64
WORKDIR /src
COPY --from=projects /src/ ./
RUN case "$PUBLISH_MODE" in \
        fdd) props="-p:SelfContained=false" ;; \
        r2r) props="-p:SelfContained=false -p:PublishReadyToRun=true" ;; \
        sc) props="-p:SelfContained=true" ;; \
        sc-trim) props="-p:SelfContained=true -p:PublishTrimmed=true" ;; \
        *) echo "unknown PUBLISH_MODE=$PUBLISH_MODE" >&2; exit 1 ;; \
    esac \
    && echo "$props" > /tmp/publish-props \
    && dotnet restore src/Server/C10k.Host.csproj -r "$RID" $props
COPY . .
RUN dotnet publish src/Server/C10k.Host.csproj -c Release -r "$RID" --no-restore --disable-build-servers $(cat /tmp/publish-props) \
        -p:DebugType=none -o /app \
    && rm -f /app/*.pdb /app/*.xml

FROM ${RUNTIME_IMAGE} AS runtime
ARG RUNTIME_IMAGE
ARG PUBLISH_MODE=r2r
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="c10k" \
      org.opencontainers.image.description="C10k TCP server: native binary protocol (7000, TLS 7001), RESP2 (6380, TLS 6381), admin HTTP (8081)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="https://example.invalid/c10k" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}" \
      org.c10k.publish-mode="${PUBLISH_MODE}"

# Container defaults; anything here can be overridden with -e / env: in the orchestrator. The server sets the inline socket
# completions itself when the variable is unset (src/Server/Program.cs); stated here too so that the image says what it runs.
# ReadinessDelayMs: on SIGTERM, /readyz answers 503 for 5 s while the ports still serve, longer than a balancer needs to
# mark the replica down (HAProxy in docker/: 2 failed checks 2 s apart), so no client is refused before it is moved.
ENV C10k__BindAddress=0.0.0.0 \
    C10k__Logging__Json=true \
    C10k__Shutdown__ReadinessDelayMs=5000 \
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
    DOTNET_hostBuilder__reloadConfigOnChange=false \
    DOTNET_gcServer=0 \
    HOME=/tmp

WORKDIR /app
# Root-owned and not writable by the app user: the image runs with --read-only (only /tmp needs to be writable,
# for the runtime's diagnostics socket).
COPY --from=build --chown=0:0 /app/ /app/

# 1654 is the official .NET images' non-root "app" uid; numeric so that it works on bases without that user.
USER 1654:1654
# 7001 and 6381 are the TLS ports compose and the Kubernetes manifests configure (C10k:Native:TlsPort, C10k:Resp:TlsPort).
EXPOSE 7000/tcp 6380/tcp 7001/tcp 6381/tcp 8081/tcp
STOPSIGNAL SIGTERM
# The app probes itself: admin /healthz when the admin port is configured, else a native PING (no curl in the image).
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["/app/c10k-server", "--health-probe"]
ENTRYPOINT ["/app/c10k-server"]
