# syntax=docker/dockerfile:1
# c10k-load (loadtests/) as an image, for docker/compose.yaml's 'load' profile: runs a scenario through the balancer.
#   podman build --format docker -f docker/load.Dockerfile -t localhost/c10k-load:latest \
#     --build-arg SDK_IMAGE=localhost/dotnet/sdk:10.0 --build-arg RUNTIME_IMAGE=localhost/dotnet/aspnet:10.0 .
# Build context: the repository root (the root .dockerignore applies).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! \( -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -iname 'nuget.config' -o -name 'global.json' \) -delete \
    && find . -type d -empty -delete

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY --from=projects /src/ ./
RUN dotnet restore loadtests/C10k.Load.Cli/C10k.Load.Cli.csproj -r linux-x64 -p:SelfContained=false
COPY . .
RUN dotnet publish loadtests/C10k.Load.Cli/C10k.Load.Cli.csproj -c Release -r linux-x64 --no-restore --disable-build-servers \
        -p:SelfContained=false -p:DebugType=none -o /app \
    && rm -f /app/*.xml

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="c10k-load" \
      org.opencontainers.image.description="c10k-load: open-model load generator for the C10k native and RESP protocols"
COPY --from=build --chown=0:0 /app/ /app/
USER 1654:1654
ENV HOME=/tmp
WORKDIR /tmp
ENTRYPOINT ["/app/c10k-load"]
CMD ["run", "--target", "native://haproxy:7000", "--scenario", "ping", "--plain"]
