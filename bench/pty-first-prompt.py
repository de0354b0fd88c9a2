# Time to the first prompt: runs a program in a real pseudo-terminal (like test/support/pty-driver.py)
# and measures, from just before the fork, how long until a regular expression shows in the screen text.
# Then the program is killed (nothing is answered, so nothing is changed).
# Reads {"argv", "env", "cwd", "expect", "timeoutMs"} on stdin; prints {"ms", "matched", "tail"}.
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

ANSI = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r')

def main():
    spec = json.load(sys.stdin)
    pattern = re.compile(spec['expect'])
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec['cwd'])
        os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 160, 0, 0))
    buf = b''
    ms = None
    deadline = t0 + spec.get('timeoutMs', 20000) / 1000
    while time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 0.01)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data
        if pattern.search(ANSI.sub('', buf.decode('utf-8', 'replace'))):
            ms = (time.perf_counter() - t0) * 1000
            break
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    text = ANSI.sub('', buf.decode('utf-8', 'replace'))
    print(json.dumps({'ms': ms, 'matched': ms is not None, 'tail': text[-600:]}))

main()
