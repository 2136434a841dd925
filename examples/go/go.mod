module picsellia.example/client

go 1.21
