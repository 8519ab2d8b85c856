#!/usr/bin/env bash
# Start a built bundle as a student would: unpacked into an empty folder outside the checkout, with
# a clean environment (env -i: an empty HOME, a PATH with no Python on it, nothing of a virtual
# environment), and check --version, --screenshot after training the notes' table, and a
# Train/Stop/close smoke run on a real X11 screen (Xvfb at 1024x768). Exits non-zero if any fails.
#   packaging/try_bundle.sh dist/backprop-gui-<version>-linux-x86_64.tar.gz
set -euo pipefail
archive="$(realpath "$1")"
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$(dirname "$0")/../backprop_gui/__init__.py")"
place="$(mktemp -d)"
home="$place/home" && mkdir "$home"
nopython="$place/bin" && mkdir "$nopython"   # PATH: an empty folder, so no python3 can be found
tar -xzf "$archive" -C "$place"
app="$(find "$place" -maxdepth 2 -type f -name backprop-gui)"
clean=(env -i "HOME=$home" "PATH=$nopython" LANG=C.UTF-8)

echo "-- --version"
got="$("${clean[@]}" QT_QPA_PLATFORM=offscreen "$app" --version)"
echo "$got"
[ "$got" = "backprop-gui $version" ] || { echo "expected: backprop-gui $version"; exit 1; }

echo "-- --screenshot after training the notes' table 50 epochs (a cold numba cache: the NumPy path trains meanwhile)"
started=$SECONDS
"${clean[@]}" QT_QPA_PLATFORM=offscreen "$app" --screenshot "$place/window.png" --train-epochs 50
echo "took $((SECONDS - started)) s"
[ "$(head -c 8 "$place/window.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || { echo "no PNG written"; exit 1; }
echo "-- the kernel compiled as the app's child compiles it, into the user's cache folder, then loaded from there"
kernel="from backprop_gui.engine.compiled.backprop_compiled import load_kernel"
started=$SECONDS
"${clean[@]}" "$app" -c "$kernel; load_kernel(kind='rows')"
echo "compiled in $((SECONDS - started)) s"
ls "$home/.cache/backprop-gui/numba"/*/*.nbi >/dev/null || { echo "numba cached nothing in the user's cache folder"; exit 1; }
"${clean[@]}" "$app" -c "$kernel; load_kernel(may_compile=False, kind='rows')" || { echo "the cached kernel was not reused"; exit 1; }

echo "-- --smoke-test on Xvfb 1024x768: window, Train, Stop after the first epoch, close"
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$place/display" 2>"$place/xvfb.log" &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$place/display" ] && break; sleep 0.1; done
display=":$(cat "$place/display")"
"${clean[@]}" "DISPLAY=$display" "$app" --smoke-test

echo "-- the bundle started with python3 out of reach, HOME=$home; unpacked $(du -sm "$place" | cut -f1) MB"
rm -rf "$place"
