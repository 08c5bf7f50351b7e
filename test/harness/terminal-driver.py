"""Runs a command under a real pseudo-terminal, types lines into it, and prints what it showed.

usage: terminal-driver.py SCRIPT_JSON -- COMMAND...   where SCRIPT_JSON is a list of [delay_seconds, text_to_type]
Output: JSON {"output": str, "exit": int} on stdout. Bounded: every step has its own time limit.
"""
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
cmd = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out = b""

def read_for(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            out += data
    return True

for delay, text in steps:
    if not read_for(delay):
        break
    if text:
        os.write(fd, text.encode())
read_for(3)
deadline = time.time() + 10
status = None
while time.time() < deadline:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    time.sleep(0.05)
if status is None:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
print(json.dumps({"output": out.decode(errors="replace"), "exit": os.waitstatus_to_exitcode(status)}))
