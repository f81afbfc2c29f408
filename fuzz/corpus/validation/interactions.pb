
demo!
smb-1uni-1*met at the fair
uni-1smb-1 