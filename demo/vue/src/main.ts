import { createApp } from 'vue';
import 'ink-auth';
import App from './App.vue';

createApp(App).mount('#app');
