// Browsers come from Debian's packages (see .ci/run and the README): puppeteer, installed for the
// test runner's Firefox launcher, must never download a browser of its own (that fails here).
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
