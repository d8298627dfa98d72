// The FedNode module: see DESIGN.md. (Its types are added in the files beside this one.)
enum FedNodeModule {}
