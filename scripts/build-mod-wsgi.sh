#!/usr/bin/env bash
# Builds the mod_wsgi versions of the test matrix from the upstream archives in ../shared/vendor/mod_wsgi
# (or $WSGICTL_MOD_WSGI_SOURCES), against Debian's apache2-dev and /usr/bin/python3, into
# .cache/mod_wsgi/VERSION/mod_wsgi.so. A version already built from the same archive is kept. Prints one line
# per version: VERSION PATH. Needs: apache2-dev python3-dev (apxs, Python's headers).
set -euo pipefail
cd "$(dirname "$0")/.."
sources="${WSGICTL_MOD_WSGI_SOURCES:-../shared/vendor/mod_wsgi}"
out="$PWD/.cache/mod_wsgi"
versions=("$@")
[ "${#versions[@]}" -gt 0 ] || versions=(5.0.2 6.0.5)

for version in "${versions[@]}"; do
  archive="$sources/mod_wsgi-$version.tar.gz"
  [ -f "$archive" ] || { echo "build-mod-wsgi: no $archive (set WSGICTL_MOD_WSGI_SOURCES to the folder of the archives)" >&2; exit 1; }
  if [ -f "$sources/SHA256SUMS" ]; then
    (cd "$sources" && grep " mod_wsgi-$version.tar.gz\$" SHA256SUMS | sha256sum --check --quiet -) \
      || { echo "build-mod-wsgi: $archive does not match SHA256SUMS" >&2; exit 1; }
  fi
  sum="$(sha256sum "$archive" | cut -d' ' -f1)"
  target="$out/$version"
  if [ -f "$target/mod_wsgi.so" ] && [ "$(cat "$target/archive.sha256" 2>/dev/null)" = "$sum" ]; then
    echo "$version $target/mod_wsgi.so"
    continue
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tar xzf "$archive" -C "$work"
  (
    cd "$work/mod_wsgi-$version"
    ./configure --with-apxs=/usr/bin/apxs --with-python=/usr/bin/python3 >"$work/configure.log" 2>&1 \
      || { cat "$work/configure.log" >&2; exit 1; }
    make -j2 >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
  )
  mkdir -p "$target"
  install -m 0644 "$work/mod_wsgi-$version/src/server/.libs/mod_wsgi.so" "$target/mod_wsgi.so"
  echo "$sum" >"$target/archive.sha256"
  rm -rf "$work"
  trap - EXIT
  echo "$version $target/mod_wsgi.so"
done
