package mapped

// loopbackInLab: the SUT's loopback is the lab namespace's own (brought up
// by the Linux driver), so the matrix may send to ::ffff:127.0.0.1.
const loopbackInLab = true

const loopbackMissing = ""
