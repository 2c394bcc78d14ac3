# One CUDA image for every role (server, mock server, worker agent), run as an unprivileged user. Weights
# are mounted read-only, never downloaded at run time. Build with `docker build -t dreamverse .`; the
# `docker run` line for each role is in README.md ("Container"). The default entrypoint is the server; the
# other roles pick theirs with `--entrypoint /opt/venv/bin/dreamverse-mock-server` or
# `--entrypoint /opt/venv/bin/dreamverse-worker` (the worker agent serves no HTTP: run it with
# `--no-healthcheck`).
# The base image is pinned by its full tag; pin its digest too where your registry mirror allows
# (`docker buildx imagetools inspect nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04`).
ARG BASE_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

# --- the browser workspace, built with Node.js and left behind -------------------------------------------
FROM ${BASE_IMAGE} AS frontend
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY frontend/ frontend/
RUN make -C frontend build

# --- the runtime --------------------------------------------------------------------------------------
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 DREAMVERSE_PORT=8009
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 dreamverse
WORKDIR /opt/dreamverse
COPY . .
COPY --from=frontend /src/runtime/static/ runtime/static/
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir "torch==2.13.0" --index-url https://download.pytorch.org/whl/cu128 \
 && /opt/venv/bin/pip install --no-cache-dir ".[generator]"

USER 10001
EXPOSE 8009
# /healthz answers as soon as the process listens; a loopback Host is always accepted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/opt/venv/bin/python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['DREAMVERSE_PORT'], timeout=4)"]
ENTRYPOINT ["/opt/venv/bin/dreamverse-server"]
CMD ["--host", "0.0.0.0", "--model", "ltx2"]
