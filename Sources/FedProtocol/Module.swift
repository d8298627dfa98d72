// FedProtocol: the generated wire types (Generated/) and their mapping to FedRound's types.
enum FedProtocolModule {}
