# Runs a program in a real pseudo-terminal and plays a script against it: wait for text, type keys.
# Reads {"argv", "env", "cwd", "steps": [{"expect": regex, "send": keys, "timeoutMs": n}], "cols", "rows"}
# on stdin; prints {"transcript", "exitCode", "failedStep"} on stdout. Python's pty module is on every
# machine that has python3, so the interactive tests need no native node addon.
import fcntl, json, os, pty, re, select, struct, sys, termios, time

ANSI = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r')

def main():
    spec = json.load(sys.stdin)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec['cwd'])
        os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', spec.get('rows', 40), spec.get('cols', 160), 0, 0))
    buf = b''
    offset = 0  # matches are searched after the previous match
    failed = None

    def pump(timeout):
        nonlocal buf
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        buf += data
        return True

    for i, step in enumerate(spec['steps']):
        if 'expect' in step:
            deadline = time.time() + step.get('timeoutMs', 15000) / 1000
            pattern = re.compile(step['expect'])
            while True:
                text = ANSI.sub('', buf.decode('utf-8', 'replace'))
                m = pattern.search(text, offset)
                if m:
                    offset = m.end()
                    break
                if time.time() > deadline or not pump(0.05):
                    if not m:
                        failed = {'index': i, 'expect': step['expect']}
                    break
            if failed:
                break
        if 'delayMs' in step:
            end = time.time() + step['delayMs'] / 1000
            while time.time() < end and pump(0.02):
                pass
        if 'send' in step:
            os.write(fd, step['send'].encode())
    if failed:
        os.kill(pid, 9)
    # Drain until the child closes the terminal (EIO on the master) or the time is up.
    deadline = time.time() + spec.get('exitTimeoutMs', 30000) / 1000
    while time.time() < deadline and pump(0.1):
        pass
    done, status = os.waitpid(pid, os.WNOHANG)
    if not done:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    print(json.dumps({'transcript': ANSI.sub('', buf.decode('utf-8', 'replace')), 'exitCode': code, 'failedStep': failed}))

main()
