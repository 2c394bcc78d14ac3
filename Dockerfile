# A CUDA image that runs dreamverse-server. Weights are mounted, never downloaded at run time:
#   docker build -t dreamverse .
#   docker run --gpus all -p 8009:8009 -v /models:/models -e DREAMVERSE_AUTH_TOKEN="$TOKEN" dreamverse \
#     --model ltx2 --checkpoint /models/ltx-2-19b-distilled.safetensors --text-encoder /models/gemma-3-12b \
#     --host 0.0.0.0
# Listening beyond loopback needs an auth token (DREAMVERSE_AUTH_TOKEN).
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-pip ffmpeg nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/dreamverse
COPY . .
# The workspace is built first so that the package ships it (runtime/static).
RUN make -C frontend build \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cu128 \
 && /opt/venv/bin/pip install ".[generator]"

EXPOSE 8009
ENTRYPOINT ["/opt/venv/bin/dreamverse-server"]
CMD ["--host", "0.0.0.0", "--model", "ltx2"]
