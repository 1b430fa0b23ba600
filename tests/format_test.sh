#!/bin/sh
# Fails when a tracked C++ file differs from what clang-format (with .clang-format) produces.
# Fix with: clang-format -i $(git ls-files '*.cc' '*.h')
set -eu
cd "$1"
files=$(find src include tests fuzz tools -name '*.cc' -o -name '*.h' | sort)
clang-format --dry-run --Werror $files
echo "$(echo "$files" | wc -l) files formatted"
