export default class UDP {
  constructor() {
    throw new Error("the stock IPv4 socket is not used in this test");
  }
}
