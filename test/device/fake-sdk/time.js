export default {
  get ticks() {
    return Math.floor(performance.now());
  },
};
