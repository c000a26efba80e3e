// Loaded only if code reaches a package that the project's package.json overrides to this one.
throw new Error('This package stands in for one that this project declares but does not install: see "overrides" in package.json.');
