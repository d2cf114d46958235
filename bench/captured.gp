# Captured share of the offered packets, per tool and load.
# gnuplot -e "csv='...'; png='...'; title='...'" bench/captured.gp
dat = csv[:strlen(csv) - 9] . "captured.dat"
set terminal pngcairo size 1000,500 noenhanced
set output png
set title "packets captured / offered, " . title
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:105]
set ylabel "% captured"
set key outside right
set grid ytics
plot for [i=2:*] dat using i:xtic(1) title columnheader(i)
