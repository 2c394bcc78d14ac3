#!/usr/bin/env bash
# FlashAttention 4 on a lent GPU machine, whose calls carry at most 64 MiB: its CUDA 13 library wheel
# (nvidia-cutlass-dsl-libs-cu13, 92 MB zipped, 237 MB unpacked) travels as an xz tarball cut in two, over two
# consecutive calls on the same warm machine, into /root/fa4-parts; the second call joins and installs.
#
# Here, once (pip download as in the device README, python 3.12, manylinux x86-64; versions that ran:
# flash-attn-4 4.0.0b36, nvidia-cutlass-dsl(-libs-base, -libs-core, -libs-cu13) 4.8.1, quack-kernels 0.6.5,
# apache-tvm-ffi 0.1.15.post2, torch-c-dlpack-ext 0.1.5, cuda-bindings 13.5.0, cuda-pathfinder 1.9.1,
# einops 0.8.2):
#   unzip -q nvidia_cutlass_dsl_libs_cu13-*.whl -d x && tar cf - -C x . | xz -9 -T2 > cu13.tar.xz
#   split -n 2 -d cu13.tar.xz cu13.part   # .fa4a/: cu13.part00 + the other wheels; .fa4b/: cu13.part01
# There (each folder named in `carry`, both ignored by git):
#   call 1: bash benchmarks/fa4_install.sh stage .fa4a
#   call 2: bash benchmarks/fa4_install.sh stage .fa4b && bash benchmarks/fa4_install.sh install && \
#           BENCH_EXTRA_PYTHONPATH=$(cat /root/fa4-pythonpath) bash benchmarks/gpu_session.sh ...
set -euo pipefail
PARTS=/root/fa4-parts
SITE=/root/fa4site
case ${1:-} in
stage)
    mkdir -p "$PARTS"
    cp -v "$2"/* "$PARTS"/ ;;
install)
    rm -rf "$SITE"
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$SITE" "$PARTS"/*.whl
    # after pip: `--target` replaces a package folder whole, and the library shares nvidia_cutlass_dsl/ with
    # libs-base
    cat "$PARTS"/cu13.part* | xz -d | tar xf - -C "$SITE"
    # pip --target does not process the .pth file that puts the DSL's own packages on the path
    echo "$SITE:$SITE/nvidia_cutlass_dsl/dsl_packages" > /root/fa4-pythonpath
    PYTHONPATH=$(cat /root/fa4-pythonpath) python3 -c "import flash_attn.cute, cutlass
print('flash_attn.cute imports; cutlass', getattr(cutlass, '__version__', '?'))" ;;
*)
    echo "usage: $0 stage DIR | install" >&2
    exit 2 ;;
esac
