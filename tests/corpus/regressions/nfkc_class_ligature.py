class ﬁlter:
    ｎame = 'x'
    def ﬁrst(self):
        pass
