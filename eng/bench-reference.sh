#!/usr/bin/env bash
# Installs what the train benchmark's PyTorch side needs (outside CI): Debian's python3-torch (PyTorch eager) and
# libopenblas0-pthread (the BLAS both PyTorch and the reference-BLAS column use). Idempotent; needs root or sudo.
# Then:  dotnet run -c Release --project tests/PeftGrid.Benchmarks -- train --reference /usr/bin/python3 [--steps N] [--rounds N]
set -euo pipefail
missing=()
/usr/bin/python3 -c "import torch" 2>/dev/null || missing+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if [ ${#missing[@]} -eq 0 ]; then echo "bench-reference: python3-torch and libopenblas0-pthread already installed"; exit 0; fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
/usr/bin/python3 -c "import torch; print('bench-reference: torch', torch.__version__)"
