export default {
  set(callback, ms = 0) {
    const timer = {};
    timer.id = setTimeout(() => callback(timer), ms);
    return timer;
  },
  clear(timer) {
    clearTimeout(timer.id);
  },
};
