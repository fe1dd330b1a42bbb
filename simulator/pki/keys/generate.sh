#!/usr/bin/env bash
# Generates the TEST keys of mynasim's test PKI. Run ONCE by a developer, never at build or test time:
# the keys are committed and embedded into the binary, so every certificate is byte-identical on every
# machine. Regenerating changes every certificate and every report hash; it needs --force.
# These keys are TEST material only: they protect nothing.
set -euo pipefail
cd "$(dirname "$0")"
force=0
[[ ${1:-} == --force ]] && force=1

rsa_keys=(ca-jpki-auth ca-jpki-sign ca-unknown ca-tokutei-kikan ca-server-tls server-tls)
for i in $(seq -w 1 16); do rsa_keys+=("card-$i"); done

make_key() {  # name, openssl genpkey arguments...
    local name=$1; shift
    if [[ -e $name.pem && $force == 0 ]]; then
        echo "$name.pem exists; not overwriting (use --force to regenerate every key)" >&2
        return
    fi
    openssl genpkey "$@" -out "$name.pem.tmp" 2>/dev/null
    mv "$name.pem.tmp" "$name.pem"
    echo "wrote $name.pem"
}

for name in "${rsa_keys[@]}"; do make_key "$name" -algorithm RSA -pkeyopt rsa_keygen_bits:2048; done
make_key card-1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
make_key card-3072 -algorithm RSA -pkeyopt rsa_keygen_bits:3072
make_key institution -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve
