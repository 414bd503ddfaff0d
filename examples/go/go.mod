module example.com/nuage-example

go 1.19
