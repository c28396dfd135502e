"""Mail in production without a mail server: one file per connection, readable by the portal's user only.

The console backend would write each mail, password-set links included, to stdout, which is the web
log; so outside DEBUG the portal writes to EMAIL_FILE_PATH instead (directory 0700, files 0600,
whatever the umask), where an operator with root or the portal's account can read them.
"""

import os

from django.core.mail.backends import filebased

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


class PrivateFileBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # creates the directory with the umask's mode
        os.chmod(self.file_path, DIRECTORY_MODE)

    def open(self):
        if self.stream is None:
            descriptor = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
            os.fchmod(descriptor, FILE_MODE)  # an existing file keeps its mode on O_CREAT
            self.stream = os.fdopen(descriptor, "ab")
            return True
        return False
