# only on CPython 3.10, 3.11: a file ending in a backslash and CRLF
x = 1
\
