#!/usr/bin/env bash
# Every test of frontdesk: unit, property, snapshot, command-line, pseudo-terminal, daemon and
# OpenSSH end-to-end tests. The OpenSSH test needs sshd: installed here when missing (as root,
# from Debian's packages). Set FRONTDESK_SKIP_SSH_TEST=1 to skip that one test knowingly.
# As root, the full-disk test also runs: the daemon on an 8 MB tmpfs filled up, then freed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${FRONTDESK_SKIP_SSH_TEST:-}" ] && [ ! -x /usr/sbin/sshd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null; }
  else
    echo "scripts/test.sh: the OpenSSH test needs root to install openssh-server and create a test user;" >&2
    echo "run as root, or set FRONTDESK_SKIP_SSH_TEST=1 to skip that test." >&2
    exit 1
  fi
fi

if [ "$(id -u)" = 0 ]; then
  export FRONTDESK_FULL_DISK_TEST=1
else
  echo "scripts/test.sh: not root: the full-disk test (a daemon on a small tmpfs filled up) is skipped;" >&2
  echo "run as root to include it." >&2
fi

cargo test --locked "$@"
