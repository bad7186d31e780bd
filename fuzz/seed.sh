#!/bin/sh
# Fills corpus/ with seeds: one valid value of every identifier type (behind the byte that
# selects its parser), and the crate's example specs. Run from fuzz/.
set -eu
mkdir -p corpus/identifiers corpus/spec
i=0
for value in \
    'Acme-Corp' \
    'Mail.Bücher.example.' \
    '/hostedzone/Z0123456789ABCDEFGHIJ' \
    'd-90670b1c2e' \
    'm-0123456789abcdef0123456789abcdef' \
    'create-acme-1' \
    '012345678901' \
    'eu-west-1' \
    'arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab' \
    'arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdef'
do
    selector=$(printf '\\%03o' "$i")
    printf "$selector%s" "$value" > "corpus/identifiers/seed-$i"
    i=$((i + 1))
done
printf '\001xn--bcher-kva.xn--p1ai' > corpus/identifiers/seed-a-label
printf '\001例え。テスト' > corpus/identifiers/seed-ideographic
cp ../examples/specs/*.json corpus/spec/
cp ../benches/data/*.json corpus/spec/
