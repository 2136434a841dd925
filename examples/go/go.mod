module picsellia.example/client

go 1.19
