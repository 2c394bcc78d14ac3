#!/usr/bin/env bash
# GPU benchmarks on a lent machine (the device tool's `run`), from the repository root of a copy of the tree:
#
#   BENCH_GIT_COMMIT=<sha> bash benchmarks/gpu_session.sh STEP...      (carry: .whl)
#
# Steps: streaming, streaming-compiled, pipeline, pipeline-compiled, pipeline-cudnn (`--attention cudnn`),
# streaming-compiled-fp8, pipeline-fp8, pipeline-compiled-fp8 (`--quantization fp8`), fp8-linear
# (benchmarks/fp8_linear.py); issue 8's fast path (`--compile --quantization fp8 --cuda-graphs`, attention
# auto): pipeline-fast and pipeline-fast-720 (stock baseline first, speed-up ratio, per-stage TFLOP/s; 768x512
# and 1280x704), streaming-fast and streaming-fast-720 (6 segments end to end); streaming-fast-first49
# (streaming-fast with `--first-segment-frames 49`: segment 0 renders 49 frames, 672/2,688 video tokens, so the
# prompt -> first byte is about half segment 0's work; `playback_stall_s` in its JSON tells whether segment 1
# arrived before those 2.04 s had played); streaming-fast-stream-decode and streaming-fast-stream-decode-720
# (streaming-fast with `--stream-decode`: the first 16 frames go to FFmpeg before the rest is decoded, prompt ->
# first byte against streaming-fast's); gpu-speed-tests
# (tests/generator/test_gpu_speed.py + test_nvfp4.py); gpu-replay-tests (test_gpu_replay.py: replay and fork
# within the stated tolerance); profile-fast and profile-fast-720 (benchmarks/profile_segment.py: one
# continuation's GPU kernel time per stage and kind, compiled FP8 without graphs so kernels show one by one);
# decode-ab and decode-ab-720 (benchmarks/decode.py: stock video decode vs 2-D reflect padding, pinned copy,
# compiled decoder, same latents, frames compared);
# gpu-tests (`pytest -m gpu tests/generator/test_gpu.py test_gpu_decode_reach.py`, the latter the 19B VAE's
# temporal reach at 768x512x121, issue 8's streamed decode; needs .whl/test/: pytest-asyncio, and pytest 9.2 +
# pluggy + iniconfig for an image whose pytest is older than 8.4); sequence parallelism (issues 12, 15; 4 GPUs
# for all of it, 2 for the first half): sp-tests (test_gpu_sequence_parallel.py, tiny over NCCL, 2 and 4
# ranks vs one GPU, and 2 ranks in CUDA graphs) and sp-sweep (19B random weights, eager bf16, attention
# auto at 1280x704 (each backend that runs is timed at load, the fastest taken) and cuDNN at 1920x1088, one warm-up segment then
# segment 0 + one continuation per run, `--lean`: 1280x704 on 1 GPU and on 2 GPUs at once on disjoint GPUs,
# then 1920x1088 on 2, then 1280x704 and 1920x1088 on 4; 1920x1088 decodes in VAE tiles to fit 80 GB;
# each run writes $OUT/sp-<geometry>-sp<N>.json after every segment, then $OUT/sp-summary.json has the
# scaling efficiencies); sp-fast (issue 12's fast path on 2 GPUs, ~7 min on H100s with a cold Inductor cache:
# `--compile --quantization fp8 --cuda-graphs`, stage 1 whole on every rank and stage 2 split (the default
# `--sp-min-tokens 8192`), 19B random weights, one stream of 3 segments after the warm-up: 1280x704 on GPU 0,
# then the same on GPUs 0,1 (`--sp-size 2`, split stages compiled outside the graphs: captured all-to-alls
# hung on 2 x H200), then
# 1920x1088 on 0,1 (VAE tiles, cuDNN attention); $OUT/sp-<geometry>-fast-sp<N>.json, then
# $OUT/sp-fast-summary.json with the 1 -> 2 GPU scaling at 1280x704; $SP_FAST_RUNS picks runs, default
# "sp1 sp2 1080"; $SP_FAST_ARGS adds flags to each, e.g. `--sp-min-tokens 2048`); sp-streaming (the streaming benchmark end
# to end through the server on one 2-GPU group slot, `--gpus 0,1 --sp-size 2`, the fast path at 1280x704, 6
# segments; $SP_STREAMING_ARGS adds flags).
# BENCH_PYTEST_K: a pytest -k expression for the gpu-*-tests steps, to run only the cases not yet run.
# BENCH_REPEATS (default 2) timed streams per pipeline step; BENCH_DEADLINE_S (default 580) seconds after which no step starts and each step's timeout is
# cut to what is left. `.whl/` holds the runtime's wheels for the image's python 3.12 (not installed there) and
# an xz-compressed static FFmpeg (imageio-ffmpeg 0.6.0's binary; the wheel itself does not fit in the 64 MiB
# that travels). Results are copied to $OUT (at most 8 files come back); the whole log is $OUT/log.txt.
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
LOG="$OUT/log.txt"
exec > >(tee -a "$LOG") 2>&1
started=$(date +%s)
elapsed() { echo $(($(date +%s) - started)); }

python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    || exit 1
# the import package `dreamverse` maps top-level folders (pyproject's package-dir): a namespace of links
mkdir -p /tmp/pkg/dreamverse
for d in runtime workers generator streaming safety; do ln -sfn "$PWD/$d" "/tmp/pkg/dreamverse/$d"; done
# $BENCH_EXTRA_PYTHONPATH: packages installed on the warm machine by an earlier call (FA4, whose wheels are
# too big to travel with ours: `benchmarks/fa4_install.sh`)
export PYTHONPATH="/tmp/pkg:/tmp/site:$PWD${BENCH_EXTRA_PYTHONPATH:+:$BENCH_EXTRA_PYTHONPATH}" PYTHONUNBUFFERED=1
FFMPEG=/tmp/ffmpeg
if compgen -G ".whl/ffmpeg-*.xz" > /dev/null; then  # only the streaming steps need it; leave it out to save 21 MB
    python3 -c "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], 'wb'))" \
        .whl/ffmpeg-*.xz "$FFMPEG" && chmod +x "$FFMPEG" || exit 1
    "$FFMPEG" -hide_banner -version | head -1
fi
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.max.sm --format=csv
python3 -c "import torch, diffusers, transformers, starlette, uvicorn, openai, websockets
print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version(),
      torch.cuda.get_device_name(0), '| diffusers', diffusers.__version__, '| transformers', transformers.__version__)" \
    || exit 1
echo "commit ${BENCH_GIT_COMMIT:-unset}; setup done at $(elapsed) s"

# Inductor's cache travels between calls (each call gets a fresh machine): carry `.inductor-cache.tgz`
# (from the last call's $OUT) and the compile warm-up skips what is unchanged
export TORCHINDUCTOR_CACHE_DIR=/tmp/inductor-cache
[ -f .inductor-cache.tgz ] && tar xzf .inductor-cache.tgz -C /tmp && echo "inductor cache restored"
REPEATS=${BENCH_REPEATS:-2}
DEADLINE=${BENCH_DEADLINE_S:-580}
limit() { local left=$((DEADLINE - $(elapsed))); echo $((left < $1 ? left : $1)); }

pytest_setup() {  # the test tools the image may lack, from .whl/test/
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site \
        .whl/test/pytest_asyncio-*.whl
    python3 -c "import pytest, sys; sys.exit(tuple(map(int, pytest.__version__.split('.')[:2])) < (8, 4))" \
        || python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
            --target /tmp/site .whl/test/pytest-*.whl .whl/test/pluggy-*.whl .whl/test/iniconfig-*.whl
    python3 -m pytest --version
}

# one sequence-parallel pipeline run: sp_run NAME GPUS MAX_S ARGS... (skipped when under 30 s are left);
# $SP_RUN_ARGS (default: the 19B model's random weights) comes last, so a CPU rehearsal can
# swap in `--model tiny --device cpu --attention sdpa --width 128 --height 64`
sp_run() {
    local name=$1 gpus=$2 most=$3
    shift 3
    if [ "$(limit 9999)" -lt 30 ]; then echo "[$name] skipped: deadline"; return 0; fi
    # shellcheck disable=SC2086  # SP_RUN_ARGS is a list of flags
    CUDA_VISIBLE_DEVICES=$gpus timeout "$(limit "$most")" python3 -m benchmarks.pipeline --lean --repeats 1 \
        --segments 2 --out "$OUT/sp-$name.json" "$@" ${SP_RUN_ARGS:---checkpoint random} 2>&1 \
        | sed -u "s/^/[$name] /"
    local rc=${PIPESTATUS[0]}
    echo "[$name] rc=$rc (t=$(elapsed) s)"
    return "$rc"
}

touch /tmp/bench-marker
collect() {  # results written since the marker (the tree's committed results stay behind)
    find benchmarks/results -name '*.json' -newer /tmp/bench-marker -exec cp -v {} "$OUT"/ \;
    touch /tmp/bench-marker
}

for step in "$@"; do
    echo "=== $step (t=$(elapsed) s)"
    if [ "$(limit 9999)" -lt 30 ]; then echo "=== $step skipped: deadline"; continue; fi
    size="--width 768 --height 512"  # the geometry of the steps that take one
    [[ $step == *-720 ]] && size="--width 1280 --height 704"
    case $step in
    gpu-tests|gpu-speed-tests|gpu-replay-tests)
        tests="tests/generator/test_gpu.py tests/generator/test_gpu_decode_reach.py"
        seconds=300
        # the 19B no-recompile test runs twice (segment 0 at 121 and at 49 frames), ~2 min each
        [ "$step" = gpu-speed-tests ] && tests="tests/generator/test_gpu_speed.py tests/generator/test_nvfp4.py" \
            && seconds=500
        [ "$step" = gpu-replay-tests ] && tests=tests/generator/test_gpu_replay.py
        pytest_setup
        # only the plugins the ini needs (asyncio_mode, timeout): the image's others are not ours to vet
        PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 DREAMVERSE_GPU_REPORT="$OUT/gpu-tests.jsonl" \
            timeout "$(limit "$seconds")" python3 -m pytest -p pytest_asyncio.plugin -p pytest_timeout \
            -p no:cacheprovider -m gpu $tests -q ${BENCH_PYTEST_K:+-k "$BENCH_PYTEST_K"}
        rc=$? ;;
    sp-tests)
        pytest_setup
        PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 DREAMVERSE_GPU_REPORT="$OUT/gpu-tests.jsonl" \
            timeout "$(limit 240)" python3 -m pytest -p pytest_asyncio.plugin -p pytest_timeout \
            -p no:cacheprovider -m gpu tests/generator/test_gpu_sequence_parallel.py -q
        rc=$? ;;
    sp-sweep)
        # sp 1 and sp 2 at once on disjoint GPUs (own memory, own NVLink pair; the host has cores to spare)
        sp_run 1280x704-sp1 0 150 --width 1280 --height 704 &
        first=$!
        sp_run 1280x704-sp2 1,2 150 --width 1280 --height 704 --sp-size 2 &
        # by pid: a bare `wait` also waits for the log's tee (a process substitution) and never returns
        wait "$first" $!
        # cuDNN named at 1920x1088: `auto` checks each backend against math SDPA, whose 4-head reference at
        # 32,640 tokens materialises 2 x 17 GB of scores beside 43 GB of weights
        sp_run 1920x1088-sp2 0,1 150 --width 1920 --height 1088 --vae-tiling --attention cudnn --sp-size 2
        sp_run 1280x704-sp4 0,1,2,3 120 --width 1280 --height 704 --sp-size 4
        sp_run 1920x1088-sp4 0,1,2,3 150 --width 1920 --height 1088 --vae-tiling --attention cudnn --sp-size 4
        python3 -m benchmarks.sequence_parallel "$OUT/sp-summary.json" "$OUT"/sp-*-sp*.json
        rc=$? ;;
    sp-fast)
        fast="--compile --quantization fp8 --cuda-graphs --segments 3 ${SP_FAST_ARGS:-}"
        runs=${SP_FAST_RUNS:-sp1 sp2 1080}  # a subset saves a call's minutes (one run is 2-5 min)
        # shellcheck disable=SC2086  # $fast is a list of flags
        [[ " $runs " == *" sp1 "* ]] && sp_run 1280x704-fast-sp1 0 180 --width 1280 --height 704 $fast
        # split stages outside the graphs (the default): captured all-to-alls hung on 2 x H200 (2026-11-26)
        # shellcheck disable=SC2086
        [[ " $runs " == *" sp2 "* ]] && sp_run 1280x704-fast-sp2 0,1 240 --width 1280 --height 704 --sp-size 2 $fast
        # shellcheck disable=SC2086
        [[ " $runs " == *" 1080 "* ]] && sp_run 1920x1088-fast-sp2 0,1 300 --width 1920 --height 1088 \
            --vae-tiling --attention cudnn --sp-size 2 $fast
        python3 -m benchmarks.sequence_parallel "$OUT/sp-fast-summary.json" "$OUT"/sp-*-fast-sp*.json
        rc=$? ;;
    sp-streaming)
        # shellcheck disable=SC2086  # SP_STREAMING_ARGS is a list of flags (e.g. --no-sp-graph-collectives)
        timeout "$(limit 420)" python3 -m benchmarks.streaming --model ltx2 --checkpoint random --segments 6 \
            --ffmpeg "$FFMPEG" --compile --quantization fp8 --cuda-graphs --width 1280 --height 704 \
            --gpus 0,1 --sp-size 2 ${SP_STREAMING_ARGS:-}
        rc=$? ;;
    fp8-linear)
        timeout "$(limit 150)" python3 -m benchmarks.fp8_linear
        rc=$? ;;
    pipeline-fp8)
        timeout "$(limit 300)" python3 -m benchmarks.pipeline --checkpoint random --no-baseline --repeats "$REPEATS" \
            --quantization fp8
        rc=$? ;;
    pipeline-compiled-fp8)
        timeout "$(limit 420)" python3 -m benchmarks.pipeline --checkpoint random --no-baseline --repeats "$REPEATS" \
            --compile --quantization fp8
        rc=$? ;;
    streaming)
        timeout 400 python3 -m benchmarks.streaming --model ltx2 --checkpoint random --segments 4 --ffmpeg "$FFMPEG"
        rc=$? ;;
    streaming-compiled)
        timeout 500 python3 -m benchmarks.streaming --model ltx2 --checkpoint random \
            --segments 4 --ffmpeg "$FFMPEG" --compile
        rc=$? ;;
    streaming-compiled-fp8)
        timeout "$(limit 500)" python3 -m benchmarks.streaming --model ltx2 --checkpoint random \
            --segments 6 --ffmpeg "$FFMPEG" --compile --quantization fp8
        rc=$? ;;
    pipeline)
        timeout "$(limit 300)" python3 -m benchmarks.pipeline --checkpoint random --no-baseline --repeats "$REPEATS"
        rc=$? ;;
    pipeline-cudnn)
        timeout "$(limit 300)" python3 -m benchmarks.pipeline --checkpoint random --no-baseline --repeats 2 \
            --attention cudnn
        rc=$? ;;
    pipeline-fast)
        timeout "$(limit 420)" python3 -m benchmarks.pipeline --checkpoint random --repeats "$REPEATS" \
            --compile --quantization fp8 --cuda-graphs
        rc=$? ;;
    pipeline-fast-720)
        timeout "$(limit 420)" python3 -m benchmarks.pipeline --checkpoint random --repeats "$REPEATS" \
            --compile --quantization fp8 --cuda-graphs --width 1280 --height 704
        rc=$? ;;
    streaming-fast)
        timeout "$(limit 420)" python3 -m benchmarks.streaming --model ltx2 --checkpoint random \
            --segments 6 --ffmpeg "$FFMPEG" --compile --quantization fp8 --cuda-graphs
        rc=$? ;;
    streaming-fast-first49)
        timeout "$(limit 420)" python3 -m benchmarks.streaming --model ltx2 --checkpoint random \
            --segments 6 --ffmpeg "$FFMPEG" --compile --quantization fp8 --cuda-graphs --first-segment-frames 49
        rc=$? ;;
    streaming-fast-stream-decode|streaming-fast-stream-decode-720)
        # shellcheck disable=SC2086  # two flags
        timeout "$(limit 420)" python3 -m benchmarks.streaming --model ltx2 --checkpoint random \
            --segments 6 --ffmpeg "$FFMPEG" --compile --quantization fp8 --cuda-graphs --stream-decode $size
        rc=$? ;;
    streaming-fast-720)
        timeout "$(limit 420)" python3 -m benchmarks.streaming --model ltx2 --checkpoint random \
            --segments 6 --ffmpeg "$FFMPEG" --compile --quantization fp8 --cuda-graphs --width 1280 --height 704
        rc=$? ;;
    decode-ab|decode-ab-720)
        # shellcheck disable=SC2086  # two flags
        timeout "$(limit 240)" python3 -m benchmarks.decode $size
        rc=$? ;;
    profile-fast|profile-fast-720)
        # shellcheck disable=SC2086  # two flags
        timeout "$(limit 300)" python3 -m benchmarks.profile_segment --checkpoint random --compile \
            --quantization fp8 $size
        rc=$? ;;
    pipeline-compiled)
        timeout "$(limit 420)" python3 -m benchmarks.pipeline --checkpoint random --no-baseline --repeats "$REPEATS" --compile
        rc=$? ;;
    *) echo "unknown step $step"; rc=2 ;;
    esac
    collect
    echo "=== $step done, rc=$rc (t=$(elapsed) s)"
done
# the cache for the next call, when it is small enough to travel (at most 8 files come back)
if [ -d "$TORCHINDUCTOR_CACHE_DIR" ]; then
    tar czf /tmp/inductor-cache.tgz -C /tmp inductor-cache
    size=$(stat -c %s /tmp/inductor-cache.tgz)
    echo "inductor cache: $((size / 1048576)) MiB"
    [ "$size" -lt 24000000 ] && cp /tmp/inductor-cache.tgz "$OUT/"
fi
