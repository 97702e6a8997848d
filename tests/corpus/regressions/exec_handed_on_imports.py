run = exec
run("import subprocess")
