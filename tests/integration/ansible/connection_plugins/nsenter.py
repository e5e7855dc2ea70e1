# An Ansible connection to a machine that is a set of namespaces on the controller: the sim
# hosts of tests/integration/simhosts.sh. Every command runs as
#   nsenter --target PID --net --mount --uts -- /bin/sh -c CMD
# where PID is a process in the machine's namespaces (the host var ansible_nsenter_pid, or
# the file named by ansible_nsenter_pid_file); files go in and out the same way, through dd.
# The controller must be root (nsenter needs CAP_SYS_ADMIN). Used by test_ansible.sh, so that
# deploy/ansible/nstopo.yml runs for real against several machines on one.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: nsenter
    short_description: run tasks inside another process's network, mount and UTS namespaces
    description:
        - Runs commands and copies files with nsenter(1) into the namespaces of a process on
          the controller, which stands for a machine (a sim host of nstopo's tests).
    options:
      nsenter_pid:
        description: PID of a process in the target namespaces.
        vars:
          - name: ansible_nsenter_pid
      nsenter_pid_file:
        description: A file holding that PID (read at each connection), when nsenter_pid is not set.
        vars:
          - name: ansible_nsenter_pid_file
      nsenter_exe:
        description: The nsenter binary.
        default: nsenter
        vars:
          - name: ansible_nsenter_exe
      executable:
        description: The shell that runs the commands inside.
        default: /bin/sh
        vars:
          - name: ansible_executable
"""

import os
import subprocess

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.process import get_bin_path
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible.module_utils.six.moves import shlex_quote
from ansible.plugins.connection import BUFSIZE, ConnectionBase
from ansible.utils.display import Display

display = Display()


class Connection(ConnectionBase):
    """Commands and files through nsenter into a process's namespaces."""

    transport = "nsenter"
    has_pipelining = True
    has_tty = False
    default_user = "root"

    def __init__(self, play_context, new_stdin, *args, **kwargs):
        super(Connection, self).__init__(play_context, new_stdin, *args, **kwargs)
        self._pid = None
        self._nsenter = None

    def _target_pid(self):
        pid = self.get_option("nsenter_pid")
        if pid in (None, ""):
            pid_file = self.get_option("nsenter_pid_file")
            if not pid_file:
                raise AnsibleConnectionFailure(
                    "nsenter: set ansible_nsenter_pid or ansible_nsenter_pid_file for %s"
                    % self._play_context.remote_addr)
            try:
                with open(pid_file) as f:
                    pid = f.read().strip()
            except OSError as e:
                raise AnsibleConnectionFailure("nsenter: cannot read %s: %s" % (pid_file, to_native(e)))
        pid = str(pid)
        if not pid.isdigit() or not os.path.isdir("/proc/%s" % pid):
            raise AnsibleConnectionFailure("nsenter: no process %s for %s" % (pid, self._play_context.remote_addr))
        return pid

    def _connect(self):
        if os.geteuid() != 0:
            raise AnsibleConnectionFailure("the nsenter connection needs root on the controller")
        exe = self.get_option("nsenter_exe")
        try:
            self._nsenter = exe if os.path.isabs(exe) else get_bin_path(exe)
        except ValueError as e:
            raise AnsibleConnectionFailure(to_native(e))
        self._pid = self._target_pid()
        if not self._connected:
            display.vvv("NSENTER CONNECTION TO PID %s" % self._pid, host=self._play_context.remote_addr)
            self._connected = True
        return self

    def _popen(self, cmd, stdin=subprocess.PIPE):
        """Start CMD (a shell command line) inside the namespaces; the caller reads the pipes."""
        argv = [self._nsenter, "--target", self._pid, "--net", "--mount", "--uts", "--",
                self.get_option("executable"), "-c", cmd]
        display.vvv("EXEC %s" % argv, host=self._play_context.remote_addr)
        argv = [to_bytes(a, errors="surrogate_or_strict") for a in argv]
        return subprocess.Popen(argv, shell=False, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd="/")

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super(Connection, self).exec_command(cmd, in_data=in_data, sudoable=sudoable)
        p = self._popen(cmd)
        stdout, stderr = p.communicate(in_data)
        return p.returncode, stdout, stderr

    def put_file(self, in_path, out_path):
        super(Connection, self).put_file(in_path, out_path)
        display.vvv("PUT %s TO %s" % (in_path, out_path), host=self._play_context.remote_addr)
        if not os.path.exists(to_bytes(in_path, errors="surrogate_or_strict")):
            raise AnsibleFileNotFound("file or module does not exist: %s" % in_path)
        with open(to_bytes(in_path, errors="surrogate_or_strict"), "rb") as in_file:
            count = " count=0" if os.fstat(in_file.fileno()).st_size == 0 else ""
            p = self._popen("dd of=%s bs=%d%s status=none" % (shlex_quote(out_path), BUFSIZE, count),
                            stdin=in_file)
            stdout, stderr = p.communicate()
        if p.returncode != 0:
            raise AnsibleError("nsenter: failed to put %s to %s:\n%s\n%s"
                               % (in_path, out_path, to_native(stdout), to_native(stderr)))

    def fetch_file(self, in_path, out_path):
        super(Connection, self).fetch_file(in_path, out_path)
        display.vvv("FETCH %s TO %s" % (in_path, out_path), host=self._play_context.remote_addr)
        p = self._popen("dd if=%s bs=%d status=none" % (shlex_quote(in_path), BUFSIZE))
        with open(to_bytes(out_path, errors="surrogate_or_strict"), "wb") as out_file:
            chunk = p.stdout.read(BUFSIZE)
            while chunk:
                out_file.write(chunk)
                chunk = p.stdout.read(BUFSIZE)
            stdout, stderr = p.communicate()
        if p.returncode != 0:
            raise AnsibleError("nsenter: failed to fetch %s to %s:\n%s\n%s"
                               % (in_path, out_path, to_native(stdout), to_native(stderr)))

    def close(self):
        super(Connection, self).close()
        self._connected = False
