# coding: gb18030
x = ''
