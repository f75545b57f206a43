// The app's name and version as the api reports them.
export const APP_NAME = 'Sightline';
export const APP_VERSION = '0.1.0';
