#!/bin/sh
# A self-signed certificate for a trial or a drill: deploy/nginx/self-signed.sh DIR [HOST]
# A real deployment puts its own certificate (fullchain.pem, privkey.pem) in DIR instead.
set -eu
dir=${1:?usage: self-signed.sh DIR [HOST]}
host=${2:-localhost}
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$host" \
  -addext "subjectAltName=DNS:$host,IP:127.0.0.1" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
chmod 600 "$dir/privkey.pem"
echo "wrote $dir/fullchain.pem and $dir/privkey.pem for $host"
