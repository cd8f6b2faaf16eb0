"""The fresh machine keeps its promises: nothing but what was asked is installed, the learner is not
root, a run leaves no mount, no process and no change outside the machine's own folder, and the
machine is a root, not a chroot."""

from pathlib import Path

import pytest
from debian_root import LEARNER, Machine

pytestmark = pytest.mark.fresh_machine


def host_mounts_under(folder: Path) -> list:
    mounted = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    return [m for m in mounted if m.startswith(f"{folder}/")]


def test_the_root_has_debians_python_and_nothing_else_a_setup_could_lean_on(debian_root):
    with Machine(debian_root) as machine:
        # sed reads all of make's output: `head -1` may close the pipe first, and under the
        # machine's pipefail make's SIGPIPE (exit 141) would fail the line now and then.
        result = machine.run(
            "python3 --version; python3 -m venv --help >/dev/null && make --version | sed -n 1p\n"
            "git --version\n"
            "for tool in pip pip3 gcc cc curl wget sudo chromium; do\n"
            '  command -v $tool && echo "unexpected: $tool"; done; true'
        )
    assert result.returncode == 0, result.tail()
    assert "Python 3.11.2" in result.output
    assert "GNU Make" in result.output and "git version" in result.output
    assert "unexpected" not in result.output, result.output


def test_the_learner_is_an_ordinary_user(debian_root):
    with Machine(debian_root) as machine:
        result = machine.run("id -un; touch /etc/written-by-learner", user=LEARNER)
    assert result.output.splitlines()[0] == LEARNER
    assert result.returncode != 0 and "Permission denied" in result.output


def test_a_run_leaves_no_mount_no_process_and_no_change_to_the_root(debian_root):
    with Machine(debian_root) as machine:
        result = machine.run(
            "echo changed > /etc/fresh-machine-test\n"
            "setsid sleep 600 >/dev/null 2>&1 < /dev/null &\n"
            "cut -d' ' -f2 /proc/self/mounts"
        )
        assert result.returncode == 0, result.tail()
        assert {"/", "/proc", "/run", "/sys", "/dev", "/dev/shm"} <= set(result.output.split())
        assert host_mounts_under(machine.folder) == []
        assert machine.processes() == []  # the sleep ended with the run's namespace
        assert machine.path("/etc/fresh-machine-test").read_text() == "changed\n"
        assert not (debian_root / "etc" / "fresh-machine-test").exists()
        folder = machine.folder
    assert not folder.exists()


def test_a_run_past_its_time_is_killed_with_what_it_started(debian_root):
    with Machine(debian_root) as machine:
        with pytest.raises(TimeoutError):
            machine.run("sleep 600 & sleep 600", timeout=2)
        assert machine.processes() == []


def test_the_machine_may_make_user_namespaces_as_a_real_one_does(debian_root):
    """bubblewrap, the grader's sandbox, needs them; the kernel refuses them inside a chroot."""
    with Machine(debian_root) as machine:
        result = machine.run("unshare --user --map-root-user --pid --fork true && echo made", user=LEARNER)
    assert result.output.split() == ["made"], result.tail()
