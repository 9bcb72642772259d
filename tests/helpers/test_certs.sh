#!/usr/bin/env bash
# tests/helpers/test_certs.sh DIR: the certificates the sync tests and benchmarks use, made with
# the openssl CLI. Every validity period is fixed (not "N days from now"), so the tests pass whatever
# the clock says, also under faketime +1825d or @2024-06-01:
#   ca.crt/ca.key               the test CA                         2000-01-01 .. 2099-12-31
#   hub.crt/hub.key             127.0.0.1 + localhost, from ca       2000 .. 2099
#   wrongca.crt/wrongca.key     127.0.0.1, from another CA (other-ca.crt)  2000 .. 2099
#   expired.crt/expired.key     127.0.0.1, from ca                   2001-01-01 .. 2002-01-01
#   wronghost.crt/wronghost.key wrong-host.example.org only, from ca 2000 .. 2099
set -euo pipefail
dir=${1:?usage: test_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"

# openssl ca (not x509 -req) because it takes explicit start and end dates.
ca_conf() { # NAME
    mkdir -p "db-$1"
    : >"db-$1/index.txt"
    [ -f "db-$1/serial" ] || echo 1000 >"db-$1/serial"
    cat >"db-$1/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
dir = db-$1
database = db-$1/index.txt
serial = db-$1/serial
new_certs_dir = db-$1
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = copy
[anything]
commonName = supplied
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
}

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

make_ca() { # NAME CN
    ca_conf "$1"
    key "$1"
    openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
    openssl ca -batch -config "db-$1/ca.cnf" -selfsign -keyfile "$1.key" -in "$1.csr" -out "$1.crt" \
        -extensions v3_ca -startdate 20000101000000Z -enddate 20991231235959Z -notext 2>/dev/null
}

make_leaf() { # NAME CA SAN START END
    key "$1"
    openssl req -new -key "$1.key" -subj "/CN=$1" -addext "subjectAltName=$3" -out "$1.csr"
    openssl ca -batch -config "db-$2/ca.cnf" -cert "$2.crt" -keyfile "$2.key" -in "$1.csr" -out "$1.crt" \
        -extensions v3_leaf -startdate "$4" -enddate "$5" -notext 2>/dev/null
}

make_ca ca "Kiosk Test CA"
make_ca other-ca "Some Other CA"
make_leaf hub ca "IP:127.0.0.1,DNS:localhost" 20000101000000Z 20991231235959Z
make_leaf wrongca other-ca "IP:127.0.0.1,DNS:localhost" 20000101000000Z 20991231235959Z
make_leaf expired ca "IP:127.0.0.1,DNS:localhost" 20010101000000Z 20020101000000Z
make_leaf wronghost ca "DNS:wrong-host.example.org" 20000101000000Z 20991231235959Z
rm -f ./*.csr
chmod 600 ./*.key
