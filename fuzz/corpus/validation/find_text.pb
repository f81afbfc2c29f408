
demopilot line for LFP pouch cells(:
DEAT"C27.22smb-1@HQ333333Ó?Xaš™™™™™É?