# syntax=docker/dockerfile:1
# The rungs container image: `docker build -t rungs .`, then, in a framework's folder,
#   docker run --rm -v "$PWD:/site" -u "$(id -u):$(id -g)" rungs check
#   docker run --rm -v "$PWD:/site" -u "$(id -u):$(id -g)" rungs build
#   docker run --rm -v "$PWD:/site" -p 1111:1111 rungs serve --bind 0.0.0.0 --poll
# (--poll: file events do not cross most bind mounts). CI systems that run their own
# shell in the image (GitLab) need the entrypoint reset: see examples/ci/gitlab/.

# Build with the official Rust image, on the same Debian release as the runtime below,
# so the binary's glibc matches.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && install -m 0755 target/release/rungs /usr/local/bin/rungs

# bookworm-slim rather than distroless: a CI job runs its script with the image's
# shell (GitLab does), and git is there for `rungs diff` between revisions.
FROM debian:bookworm-slim
# Unpinned on purpose: bookworm's archive keeps only the current version of each
# package, so a pinned version would break the build at its next security update.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory '*'
COPY --from=build /usr/local/bin/rungs /usr/local/bin/rungs
WORKDIR /site
EXPOSE 1111
ENTRYPOINT ["rungs"]
CMD ["--help"]
