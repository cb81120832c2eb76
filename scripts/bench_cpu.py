"""CPU used by the benchmark's own server processes, by process id (for scripts/bench.sh).

    bench_cpu.py take FILE DBNAME PID...   # save the CPU ticks of the server's processes
    bench_cpu.py diff FILE DBNAME PID...   # print the CPU milliseconds they used since

The processes are the given ones (gunicorn, varnishd, nginx), all their descendants, and
the PostgreSQL backends serving those processes' connections to DBNAME (found by the
client port of each socket they hold; the application keeps its connections, so they live
through a run). The shared measure.sh counts every process *named* postgres, which on a
shared machine includes other people's databases; this counts only ours.
"""

import json
import os
import subprocess
import sys

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2 :].split()
    return int(rest[1]), int(rest[11]) + int(rest[12]), rest[19]  # ppid, utime+stime, start


def processes(roots, dbname):
    table = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit() and (info := stat(pid)):
            table[pid] = info
    chosen = {str(r) for r in roots if str(r) in table}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _, _) in table.items():
            if pid not in chosen and str(ppid) in chosen:
                chosen.add(pid)
                grew = True
    ports = client_ports(chosen)
    rows = subprocess.run(
        [
            "psql",
            os.environ["DATABASE_URL"],
            "-Atc",
            "SELECT pid, client_port FROM pg_stat_activity WHERE datname = %s "
            "AND pid <> pg_backend_pid()" % ("'" + dbname.replace("'", "''") + "'"),
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    for row in rows:
        pid, _, port = row.partition("|")
        if pid in table and port.isdigit() and int(port) in ports:
            chosen.add(pid)
    return {pid: [table[pid][1], table[pid][2]] for pid in chosen}


def client_ports(pids):
    """The local TCP ports of the sockets these processes hold."""
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
        except OSError:
            continue
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[9] in inodes:
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            continue
    return ports


def main():
    action, path, dbname, *roots = sys.argv[1:]
    now = processes(roots, dbname)
    if action == "take":
        with open(path, "w") as f:
            json.dump(now, f)
        return
    with open(path) as f:
        before = json.load(f)
    ticks = 0
    for pid, (t, start) in now.items():
        old = before.get(pid)
        ticks += t - old[0] if old and old[1] == start else t
    print(f"{ticks * TICK_MS:.0f}")


if __name__ == "__main__":
    main()
