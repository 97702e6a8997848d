__version__ = '1.0'
async def __version__(*, k=b'x', **kw) -> 'str':
    return os
