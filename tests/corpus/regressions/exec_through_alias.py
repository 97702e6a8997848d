run = exec
x = 1
run('x = 2')
