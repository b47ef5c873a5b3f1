#!/bin/sh
# Feedback never blocks (20x16, Kazakh): an error scan's block and its bells
# never hold the loop.  Two scans sent right after each other, a bad one and
# a good one, get the good one processed as quickly as a good scan alone;
# and the error block shows as quickly as a good scan's line does.
# Timed as the minimum over several tries, so that a loaded 2-core machine
# does not fail it; a UI that sleeps 250 ms between bells still does (the
# bound is 150 ms above the good scan's own time).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 6                                 # lookup: a scan there writes nothing
tui_expect "▶"
python3 - "$TMUX_SOCK" <<'EOF' || fail "an error scan held the loop"
import subprocess, sys, time
sock = sys.argv[1]
A, B, BAD = "RR402118737KZ", "RR402118745KZ", "RR123456784KZ"   # BAD: a wrong check digit

def tmux(*args):
    return subprocess.run(["tmux", "-L", sock] + list(args), capture_output=True, text=True).stdout

def send(*codes):
    # one tmux call: the codes arrive back to back, each a scanner's burst
    cmd = []
    for c in codes:
        cmd += ["send-keys", "-t", "t", "-l", c, ";", "send-keys", "-t", "t", "Enter", ";"]
    tmux(*cmd[:-1])

def wait_for(text, t0, limit=5.0):
    while True:
        screen = tmux("capture-pane", "-p", "-t", "t")
        if text in screen:
            return time.monotonic() - t0
        if time.monotonic() - t0 > limit:
            print("never showed: %r\n%s" % (text, screen), file=sys.stderr)
            sys.exit(1)

send(A)
wait_for(A + ":", time.monotonic())
single, pair, block = [], [], []
for i in range(7):
    t0 = time.monotonic(); send(B); single.append(wait_for(B + ":", t0))
    t0 = time.monotonic(); send(BAD, A); pair.append(wait_for(A + ":", t0))
    t0 = time.monotonic(); send(BAD); block.append(wait_for("✗", t0))
    tmux("send-keys", "-t", "t", "Enter"); time.sleep(0.1)
    t0 = time.monotonic(); send(A); wait_for(A + ":", t0)
s, p, b = min(single), min(pair), min(block)
print("good scan %.0f ms, bad then good %.0f ms, error block %.0f ms" % (s * 1000, p * 1000, b * 1000), file=sys.stderr)
if p - s > 0.150:
    print("the good scan after a bad one came %.0f ms late" % ((p - s) * 1000), file=sys.stderr); sys.exit(1)
if b - s > 0.150:
    print("the error block came %.0f ms after a good scan's line would" % ((b - s) * 1000), file=sys.stderr); sys.exit(1)
EOF
ok
# the bad scan was never recorded, the good ones changed nothing
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" registered
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
