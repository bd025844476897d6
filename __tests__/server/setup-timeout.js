// The server project's setupFilesAfterEnv: jest takes testTimeout only from the top of a configuration, not from a
// project's (it warned "Unknown option" and left 5 s). Many tests sign in, hash console passwords and send photos
// through sharp: 5 s is too tight on a busy 2-core CI machine (a hang still fails, after 20 s). Files that set their
// own timeout (PostgreSQL's 30 s: engine.ts) keep it.
jest.setTimeout(20_000)
