
demo»
smb-de-elbe-precision-opticsElbe Precision Optics GmbH"VMakes aspheric lenses and coated optical assemblies for industrial lasers, in Dresden.*C26.7*C26.512(
DESachsenDresden!ı€◊ÅsÜI@)}Æ∂by+@:de:en@HRZ
n1CA femtosecond laser test bench to qualify anti-reflection coatings."(2ÎRS
n26Detect corrosion under insulation without removing it."B
ÎDEZ:
o1-Small-series aspheric lenses from 5 to 80 mm."(h