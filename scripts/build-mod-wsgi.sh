#!/usr/bin/env bash
# Builds the mod_wsgi versions of the test matrix from the upstream archives in ../shared/vendor/mod_wsgi
# (or $WSGICTL_MOD_WSGI_SOURCES), against Debian's apache2-dev and /usr/bin/python3, into
# .cache/mod_wsgi/VERSION/mod_wsgi.so. A version already built from the same archive is kept. Prints one line
# per version: VERSION PATH. Needs: apache2-dev python3-dev (apxs, Python's headers). From 6.x archives it also
# installs mod_wsgi-express, offline with Debian's pip (python3-pip python3-setuptools python3-wheel), into
# .cache/mod_wsgi/VERSION/express, with .cache/mod_wsgi/VERSION/bin/mod_wsgi-express to run it from PATH.
# (5.0.2's setup.py wants its built docs, so from that archive only the module is built.)
set -euo pipefail
cd "$(dirname "$0")/.."
# The archives: $WSGICTL_MOD_WSGI_SOURCES, else the vendored folder beside the checkout (../shared/vendor/mod_wsgi),
# else this workplace's /work/shared/vendor/mod_wsgi (a clean clone may live anywhere).
sources="${WSGICTL_MOD_WSGI_SOURCES:-}"
if [ -z "$sources" ]; then
  for candidate in ../shared/vendor/mod_wsgi /work/shared/vendor/mod_wsgi; do
    [ -d "$candidate" ] && { sources="$candidate"; break; }
  done
fi
[ -n "$sources" ] || { echo "build-mod-wsgi: no mod_wsgi archives: set WSGICTL_MOD_WSGI_SOURCES to their folder" >&2; exit 1; }
out="${WSGICTL_MOD_WSGI_BUILD:-$PWD/.cache/mod_wsgi}"
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
  express=0
  [ "${version%%.*}" -lt 6 ] || express=1
  if [ -f "$target/mod_wsgi.so" ] && [ "$(cat "$target/archive.sha256" 2>/dev/null)" = "$sum" ] \
    && { [ "$express" -eq 0 ] || [ -x "$target/bin/mod_wsgi-express" ]; }; then
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
  # Built beside the old one and swapped in at the end: a suite running on the old build keeps its module.
  next="$target.new"
  rm -rf "$next"
  mkdir -p "$next"
  if [ "$express" -eq 1 ]; then
    (cd "$work/mod_wsgi-$version" && /usr/bin/python3 -m pip install --quiet --break-system-packages --no-index \
      --no-build-isolation --no-warn-script-location --root-user-action=ignore --prefix "$next/express" .) \
      || { echo "build-mod-wsgi: pip could not install mod_wsgi-express $version (apt-get install python3-pip python3-setuptools python3-wheel)" >&2; exit 1; }
    site="$(cd "$next/express" && ls -d local/lib/python3*/dist-packages | head -1)"
    mkdir -p "$next/bin"
    printf '#!/bin/sh\nPYTHONPATH="%s" exec /usr/bin/python3 "%s" "$@"\n' \
      "$target/express/$site" "$target/express/local/bin/mod_wsgi-express" >"$next/bin/mod_wsgi-express"
    chmod 0755 "$next/bin/mod_wsgi-express"
  fi
  install -m 0644 "$work/mod_wsgi-$version/src/server/.libs/mod_wsgi.so" "$next/mod_wsgi.so"
  echo "$sum" >"$next/archive.sha256"
  rm -rf "$target"
  mv "$next" "$target"
  rm -rf "$work"
  trap - EXIT
  echo "$version $target/mod_wsgi.so"
done
